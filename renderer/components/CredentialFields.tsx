import { useState } from 'react';

export interface Credentials {
  opterNo: string;
  password: string;
}

const EMPTY: Credentials = { opterNo: '', password: '' };

/** The typed 工号 and 密码 of one form, with the password forgotten after every try (it is never kept). */
export function useCredentials() {
  const [value, setValue] = useState<Credentials>(EMPTY);
  return {
    value,
    onChange: setValue,
    /** 工号 trimmed, or null with what is missing (the form says it before asking the terminal). */
    missing: (): string | null => (!value.opterNo.trim() ? '请输入工号。' : !value.password ? '请输入密码。' : null),
    forgetPassword: () => setValue((v) => ({ ...v, password: '' })),
  };
}

/**
 * 工号 then 密码, keyboard only (Tab between them, Enter submits the form they are in): the one pair of
 * credential fields of every staff form — sign-in, 换人登录 at the idle lock, a supervisor's unlock. `who`
 * prefixes the labels ("主管" → 主管工号, 主管密码) and the field names.
 */
export function CredentialFields({ value, onChange, who, autoFocus = false }: { value: Credentials; onChange: (c: Credentials) => void; who?: '主管'; autoFocus?: boolean }) {
  const [noName, passwordName] = who ? ['supervisorNo', 'supervisorPassword'] : ['opterNo', 'password'];
  return (
    <>
      <label>
        {who}工号
        <input autoFocus={autoFocus} name={noName} value={value.opterNo} onChange={(e) => onChange({ ...value, opterNo: e.target.value })} maxLength={20} autoComplete="off" />
      </label>
      <label>
        {who}密码
        <input type="password" name={passwordName} value={value.password} onChange={(e) => onChange({ ...value, password: e.target.value })} maxLength={64} autoComplete="off" />
      </label>
    </>
  );
}
