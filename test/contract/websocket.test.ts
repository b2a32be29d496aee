/** The contract suite over a real WebSocket to the browser host on loopback. */
import { overWebSocket } from './connection.js';
import { agentsContractSuite } from './agents-contract-suite.js';
import { contractSuite } from './contract-suite.js';

contractSuite('a WebSocket to the browser host', overWebSocket);
agentsContractSuite('a WebSocket to the browser host', overWebSocket);
