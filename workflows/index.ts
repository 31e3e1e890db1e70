export { bookingWorkflow } from './bookingWorkflow';
