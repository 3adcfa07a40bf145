import type { AccountSpec } from '../operator/accounts.ts';

/**
 * Demo mode only (config.demo): one account per role, shown on the sign-in screen as 演示账号 with their
 * password. Never loaded outside demo mode (and disabled if a demo store is ever reused without it). The
 * hashes are made with a fixed salt so that a restart does not count as a password change.
 */
export interface DemoAccount extends AccountSpec {
  password: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { opterNo: '1001', name: '张护士', roles: ['clerk'], password: '123456', passwordHash: 'scrypt$16384$8$1$ZGVtby0xMDAxLS0tLS0tLQ==$Pf5olZfgawTgjR7MKs4SqDbffN4E70fqo7hwiQ1gdbg=' },
  { opterNo: '0002', name: '王收费', roles: ['cashier'], password: '123456', passwordHash: 'scrypt$16384$8$1$ZGVtby0wMDAyLS0tLS0tLQ==$l7qzHtteGcJwEYhm9bqXgE8lCiJFFF8wYu9bs5d4E70=' },
  { opterNo: 'SUP01', name: '演示主管', roles: ['supervisor'], password: '123456', passwordHash: 'scrypt$16384$8$1$ZGVtby1TVVAwMS0tLS0tLQ==$lKmgk0GDeBhDt9jYZ6ST9n2CeIeVzI/asQaJirjxS4k=' },
  { opterNo: '9001', name: '李工程师', roles: ['technician'], password: '123456', passwordHash: 'scrypt$16384$8$1$ZGVtby05MDAxLS0tLS0tLQ==$Sgb1N0mCHsoprDncDiSHcd/V1z+4FlZQoOwa4VUssDw=' },
];
