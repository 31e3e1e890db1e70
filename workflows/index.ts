export { bookingWorkflow } from './bookingWorkflow';
export { cancellationWorkflow } from './cancellationWorkflow';
export { refundPaymentWorkflow } from './refundPaymentWorkflow';
export { admissionWorkflow } from './admissionWorkflow';
