// Worker threads do not inherit tsx's loader from the main thread: register it, then load the TypeScript entry
// named by the thread's starter (src/runtime/threads.ts).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(new URL(workerData.entry, import.meta.url).href);
