// Entry of the webview bundle: the page's body says which view to build.
import { startCheckpoint } from './checkpoint';
import { startResults } from './results';

const root = document.getElementById('app');
if (root) {
  if (document.body.dataset.view === 'checkpoint') startCheckpoint(root);
  else startResults(root);
}
