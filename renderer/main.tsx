import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client/photon-client.js';
import { pickTransport } from './client/pick-transport.js';
import { App } from './components/App.js';
import { AppContext } from './lib/app-context.js';
import { createPhotonStore } from './store/store.js';
import { createActions } from './sync/actions.js';
import { startApprovalsSync } from './sync/approvals-sync.js';
import { startSessionsSync } from './sync/sessions-sync.js';
import { startHashRouter } from './sync/hash-router.js';
import { startSync } from './sync/sync.js';
import './styles.css';

const store = createPhotonStore();
const client = createClient(pickTransport(window));
// The route first, so the first catch-up already loads the view the URL names.
const router = startHashRouter(window, store);
startSync(client, store);
startApprovalsSync(client, store);
startSessionsSync(client, store);
const actions = createActions(client, store, router);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={{ client, store, actions }}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
