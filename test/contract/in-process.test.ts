/** The contract suite over the engine's in-process dispatcher (what the Electron host's IPC feeds). */
import { inProcess } from './connection.js';
import { agentsContractSuite } from './agents-contract-suite.js';
import { contractSuite } from './contract-suite.js';

contractSuite('the in-process dispatcher', inProcess);
agentsContractSuite('the in-process dispatcher', inProcess);
