// Entry of dist/worker.js: a worker thread that runs jobs (load a model and search it, list a
// checkpoint), so that the extension host's thread never does heavy work. The host starts one per
// job (src/worker/host/job.ts) or keeps several in a pool (src/worker/host/pool.ts).
import { isChainHelperThread } from './chainHelper';
import { JOBS } from './jobs';
import { serveJobs } from './serve';

// The same file also runs a search's helper threads (chainAhead.ts): those serve no jobs.
if (!isChainHelperThread()) serveJobs(JOBS);
