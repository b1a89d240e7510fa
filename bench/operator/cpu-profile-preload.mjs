// Preloaded into the operator (NODE_OPTIONS=--import, since Node 20 refuses
// --cpu-prof there): records a V8 CPU profile and writes it on exit to
// $BENCH_CPU_PROFILE_DIR/operator-<pid>.cpuprofile. The inspector session is
// in this thread, so posting from the synchronous exit handler still works.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  process.on("exit", () => {
    session.post("Profiler.stop", (err, result) => {
      if (err) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `operator-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
