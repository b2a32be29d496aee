/** RPC: the contract's dispatcher, transport-neutral; hosts feed it envelopes or text. */
export { createDispatcher, toErrorBody, type Dispatcher, type DispatcherOptions, type Handlers, type CallContext, inProcessClient } from './dispatcher.js';
