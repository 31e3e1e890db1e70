/** Who a request acts for. Buyers act on their own bookings; staff run events and the gate. */
export const ROLES = ['buyer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: string;
  role: Role;
}
