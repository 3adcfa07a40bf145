import type { StaffRole } from '../../contract/dto/roles.ts';
import { ROLE_TEXT } from '../../contract/dto/roles.ts';
import { STAFF_ROLES } from './account-text.ts';

/**
 * The roles of an account, one checkbox each (Tab to each, Space ticks it; Enter submits the form it is in:
 * a checkbox does not submit on its own, so the form's onKeyDown is given `submitOnEnter`).
 */
export function RolePicker({ roles, onChange, autoFocus = false }: { roles: readonly StaffRole[]; onChange: (roles: StaffRole[]) => void; autoFocus?: boolean }) {
  const toggle = (r: StaffRole, on: boolean) => onChange(STAFF_ROLES.filter((x) => (x === r ? on : roles.includes(x))));
  return (
    <fieldset className="inline role-picker">
      <legend>角色（空格键勾选，可多选）</legend>
      {STAFF_ROLES.map((r, i) => (
        <label key={r}>
          <input type="checkbox" name={`role-${r}`} checked={roles.includes(r)} onChange={(e) => toggle(r, e.target.checked)} autoFocus={autoFocus && i === 0} />
          {ROLE_TEXT[r]}
        </label>
      ))}
    </fieldset>
  );
}

/** Enter on a checkbox submits its form, as Enter in a text field does (keyboard-only desks). */
export function submitOnEnter(e: React.KeyboardEvent<HTMLFormElement>): void {
  const t = e.target as HTMLInputElement;
  if (e.key === 'Enter' && t.type === 'checkbox') {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}
