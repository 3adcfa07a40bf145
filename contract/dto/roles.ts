import { z } from 'zod';

/** The staff roles of operator accounts (docs/security.md, "Roles"); `patient` is the self-service kiosk's. */
export const StaffRole = z.enum(['clerk', 'cashier', 'supervisor', 'technician']);
export type StaffRole = z.infer<typeof StaffRole>;
export type Role = StaffRole | 'patient';

export const ROLE_TEXT: Record<Role, string> = {
  clerk: '入院登记员',
  cashier: '收费员',
  supervisor: '主管',
  technician: '技术员',
  patient: '患者（自助）',
};
