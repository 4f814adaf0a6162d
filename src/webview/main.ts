// Entry of the webview bundle: the page's body says which view to build.
import { startCheckpoint } from './checkpoint';
import { startResults } from './results';
import { startRun } from './run';
import { startSweep } from './sweep';

const root = document.getElementById('app');
if (root) {
  const view = document.body.dataset.view;
  if (view === 'checkpoint') startCheckpoint(root);
  else if (view === 'sweep') startSweep(root);
  else if (view === 'run') startRun(root);
  else startResults(root);
}
