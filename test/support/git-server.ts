// A git repository served over smart HTTP on loopback, as a GitOps controller
// clones it: git's own `git http-backend` (CGI) behind a small Node server.
// `commit` writes files into a work tree and pushes them to the served repo.
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface GitServer {
  /** The clone URL, e.g. http://127.0.0.1:PORT/repo.git. */
  url: string;
  /** Writes (or, for `null`, deletes) files, commits and pushes; resolves to the commit's hash. */
  commit(message: string, files: Record<string, string | null>): Promise<string>;
  close(): Promise<void>;
}

const REPO = "repo.git";
const BRANCH = "main";

/**
 * Serves `host` (an address the clients can reach; default 127.0.0.1) on a
 * free port. The repository starts empty; the first commit creates `main`.
 */
export async function startGitServer(host = "127.0.0.1"): Promise<GitServer> {
  const root = await mkdtemp(join(tmpdir(), "hypertune-git-"));
  const served = join(root, "served");
  const work = join(root, "work");
  await mkdir(served);
  const git = (cwd: string, ...args: string[]) =>
    run("git", ["-c", "user.name=hypertune tests", "-c", "user.email=tests@hypertune.dev", ...args], { cwd });
  await git(served, "init", "--quiet", "--bare", `--initial-branch=${BRANCH}`, REPO);
  await git(join(served, REPO), "config", "http.receivepack", "true");
  await git(root, "init", "--quiet", `--initial-branch=${BRANCH}`, "work");

  const server = createServer((req, res) => {
    serveCgi(served, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}/${REPO}`,
    async commit(message, files) {
      for (const [path, content] of Object.entries(files)) {
        const file = join(work, path);
        if (content === null) await rm(file, { force: true });
        else {
          await mkdir(dirname(file), { recursive: true });
          await writeFile(file, content);
        }
      }
      await git(work, "add", "--all");
      await git(work, "commit", "--quiet", "--allow-empty", "-m", message);
      await git(work, "push", "--quiet", join(served, REPO), `HEAD:${BRANCH}`);
      return (await git(work, "rev-parse", "HEAD")).stdout.trim();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** One request through `git http-backend`: CGI variables in, a CGI response (headers, blank line, body) out. */
function serveCgi(projectRoot: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://git");
  const backend = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      // Clients may gzip request bodies; http-backend inflates them itself.
      HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_ADDR: req.socket.remoteAddress ?? "",
    },
  });
  req.pipe(backend.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  backend.stdout.on("data", (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    headersSent = true;
    res.write(head.subarray(end + 4));
  });
  backend.on("close", (code) => {
    if (!headersSent) res.writeHead(500).end(`git http-backend exited with ${code}`);
    else res.end();
  });
}
