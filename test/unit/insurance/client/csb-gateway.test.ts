import { describe, expect, it } from 'vitest';
import { csbCanonicalString, csbHeaders } from '../../../../insurance/client/csb-gateway.ts';

const credentials = { apiName: 'hssServives', apiVersion: '1.0.0', accessKey: 'AK-test-0001', secretKey: 'secret-key-for-tests' };

describe('Jiangsu CSB gateway headers', () => {
  it('signs the four _api_ parameters sorted by key with HMAC-SHA1, Base64', () => {
    const headers = csbHeaders(credentials, new Date('2026-01-01T00:00:00.000Z'));
    expect(headers).toEqual({
      _api_access_key: 'AK-test-0001',
      _api_name: 'hssServives',
      _api_timestamp: '1767225600000',
      _api_version: '1.0.0',
      // Computed independently: python3 hmac.new(b'secret-key-for-tests',
      // b'_api_access_key=AK-test-0001&_api_name=hssServives&_api_timestamp=1767225600000&_api_version=1.0.0',
      // hashlib.sha1) → base64
      _api_signature: '99rz7+k+1qchK4ioNHv/YVC5sjk=',
    });
  });

  it('sorts by key whatever the insertion order', () => {
    expect(csbCanonicalString({ b: '2', _z: '3', a: '1' })).toBe('_z=3&a=1&b=2');
  });

  it('can send the timestamp in seconds', () => {
    const headers = csbHeaders({ ...credentials, timestampUnit: 's' }, new Date('2026-01-01T00:00:00.999Z'));
    expect(headers._api_timestamp).toBe('1767225600');
  });

  it('refuses header values that could inject headers', () => {
    expect(() => csbHeaders({ ...credentials, apiName: 'x\r\nX-Evil: 1' }, new Date())).toThrow(RangeError);
  });
});
