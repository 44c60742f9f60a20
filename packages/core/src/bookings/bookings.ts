// The booking operations the engine binds (src/engine/engine.ts), one small module each.
export { holdSlot } from './hold-slot.js';
export { confirmHold } from './confirm-hold.js';
export { rescheduleAppointment } from './reschedule.js';
export { cancelAppointment } from './cancel.js';
export { lookupAppointment, getAppointment } from './lookup.js';
export { releaseHold } from './release-hold.js';
export { listAppointments } from './list-appointments.js';
