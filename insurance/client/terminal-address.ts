import os from 'node:os';

/**
 * The 9001 sign-in carries the terminal's IP and MAC (签到IP地址/签到MAC地址). The first external IPv4
 * interface is the one the hospital network sees; a machine without one (a test box) reports loopback.
 */
export function terminalAddress(): { ip: string; mac: string } {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) return { ip: a.address, mac: a.mac.toUpperCase().replace(/:/g, '-') };
    }
  }
  return { ip: '127.0.0.1', mac: '00-00-00-00-00-00' };
}
