// Run a plan of xlwings Lite steps in one real Pyodide (Node): `node lite_harness.mjs plan.json`.
//
// plan.json: {"node_modules": dir with pyodide/, "micropip_wheel": path, "xlwings_wheel": path,
//             "steps": [{"op": "load", "path"|"text"}, {"op": "meta"}, {"op": "call", "data": body},
//                       {"op": "timed_call", "data": body, "clear_cache": bool}, {"op": "run", "code"}]}
// Prints one JSON line: {"pyodide": version, "startup_ms": ..., "results": [one per step]}.
// Wheels are installed with micropip from Pyodide's file system (the host directory is mounted),
// never from a CDN: the CI machine reaches only npm and PyPI.
import { readFileSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// a failure prints its message, not pyodide.asm.mjs's one-line source
process.on("uncaughtException", (e) => { process.stderr.write("lite_harness: " + String(e) + "\n"); process.exit(3); });

const here = dirname(fileURLToPath(import.meta.url));
const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(join(plan.node_modules, "pyodide", "pyodide.mjs")).href);

const t0 = Date.now();
// stdout of Python goes to stderr so that stdout carries only the result line
const py = await loadPyodide({ stdout: (s) => process.stderr.write(s + "\n"), stderr: (s) => process.stderr.write(s + "\n") });
await py.loadPackage(plan.micropip_wheel, { messageCallback: () => {} });
py.mountNodeFS("/wheels", dirname(plan.xlwings_wheel));
const micropip = py.pyimport("micropip");
await micropip.install("emfs:/wheels/" + basename(plan.xlwings_wheel));
py.FS.mkdirTree("/harness");
py.FS.writeFile("/harness/lite_glue.py", readFileSync(join(here, "lite_glue.py"), "utf8"));
py.runPython("import sys; sys.path.insert(0, '/harness')");
const glue = py.pyimport("lite_glue");
const startup_ms = Date.now() - t0;

const results = [];
for (const step of plan.steps) {
  let out;
  try {
    if (step.op === "load") {
      out = glue.load(step.text ?? readFileSync(step.path, "utf8"));
    } else if (step.op === "meta") {
      out = glue.meta();
    } else if (step.op === "call") {
      // the request body as Lite's JavaScript has it: a JS object whose empty cells are null
      out = await glue.call(JSON.parse(JSON.stringify(step.data)));
    } else if (step.op === "timed_call") {
      out = await glue.timed_call(JSON.parse(JSON.stringify(step.data)), !!step.clear_cache);
    } else if (step.op === "run") {
      out = glue.run(step.code);
    } else {
      throw new Error("unknown op " + step.op);
    }
    results.push(JSON.parse(out));
  } catch (err) {
    results.push({ harness_error: String(err) });
  }
}
process.stdout.write(JSON.stringify({ pyodide: py.version, startup_ms, results }) + "\n");
