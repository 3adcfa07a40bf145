export { startPaymentSandbox, type PaymentSandbox, type PaymentSandboxOptions } from './server.ts';
export { PaymentFaultSpec } from './faults.ts';
