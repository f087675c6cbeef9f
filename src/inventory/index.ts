/** The inventory context's public face: what other contexts may use of it. */
export { commitReservation } from './activities.ts';
