/**
 * Go in the page: the learner's loop on the page's web-app/ folder. The
 * first docker build fetches podplay/golang on first use (its pull progress
 * in the build's output), compiles main.go with Go's compiler in a node
 * worker and ships it; the app runs as a Deployment and answers HTTP. Then,
 * with the page offline, main.go is edited in the files panel, built again
 * (its COPY and go build run again, nothing pulled), and `kubectl rollout
 * restart` runs the change.
 */
import { expect, test, type Page } from '@playwright/test';
import { exec, ready } from './element-helpers.ts';
import { GO_APP, GO_APP_DOCKERFILE, GO_APP_RUN_OUTPUT } from '../helpers/go-app.ts';

async function ok(page: Page, line: string): Promise<string> {
  const r = await exec(page, 'playground', line);
  expect(r.exitCode, `${line}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/**
 * What the app answers from inside one of the Deployment's pods, once it has
 * rolled out ('' while it cannot answer: during a rollout kubectl exec may
 * pick an old pod that is shutting down gracefully).
 */
async function answer(page: Page): Promise<string> {
  await ok(page, 'kubectl rollout status deployment/app --timeout=120s');
  return (await exec(page, 'playground', 'kubectl exec deploy/app -- wget -T 5 -qO- http://localhost:8080/')).stdout;
}

test('main.go edited in the files panel, built with go build in the page, deployed and rolled out again offline', async ({ page, context }) => {
  test.setTimeout(420_000);
  await page.goto('/');
  await ready(page, 'playground');
  const el = page.locator('#playground');

  const first = await exec(page, 'playground', 'docker build -t app:1 web-app');
  expect(first.exitCode, first.stderr).toBe(0);
  // podplay/golang is not stored yet: the build pulls it, with docker pull's layer lines.
  expect(first.stderr).toMatch(/#\d+ \[internal\] load metadata for docker\.io\/podplay\/golang:latest\n(#\d+ .*\n)*#\d+ extracting sha256:[0-9a-f]{12,} .*done/);
  expect(first.stderr).toMatch(/#\d+ \[build-source 4\/4\] RUN go build -o bin\/web \.\n#\d+ DONE \d+\.\ds/);
  await ok(page, 'kubectl create deployment app --image=app:1');
  await expect.poll(() => answer(page), { timeout: 60_000 }).toMatch(/^Hello from app-[a-z0-9]+-[a-z0-9]{5}\n$/);

  await ok(page, 'edit web-app/main.go');
  await expect(el.getByTestId('editor-path')).toHaveText(/web-app\/main\.go$/);
  // From here on the page has no network (its scripts are loaded; offline visits are podplay-sw.js's, tested apart).
  await context.setOffline(true);
  const source = await ok(page, 'cat web-app/main.go');
  expect(source).toContain('"%s from %s\\n"');
  const editor = el.getByTestId('editor-content');
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(source.replace('"%s from %s\\n"', '"%s from %s, built twice\\n"'));
  await page.keyboard.press('Control+s');
  await expect.poll(async () => ok(page, 'grep -c "built twice" web-app/main.go')).toBe('1\n');

  const second = await exec(page, 'playground', 'docker build -t app:1 web-app');
  expect(second.exitCode, second.stderr).toBe(0);
  expect(second.stderr).not.toContain('extracting sha256:');
  expect(second.stderr).toMatch(/#\d+ \[build-source 3\/4\] COPY go.mod main.go \.\/\n#\d+ DONE/);
  expect(second.stderr).toMatch(/#\d+ \[build-source 4\/4\] RUN go build -o bin\/web \.\n#\d+ DONE \d+\.\ds/);
  await ok(page, 'kubectl rollout restart deployment app');
  await expect.poll(() => answer(page), { timeout: 120_000 }).toMatch(/^Hello from app-[a-z0-9]+-[a-z0-9]{5}, built twice\n$/);
  await context.setOffline(false);
});

test('a module of two packages, a goroutine and an embedded file builds in the page, reuses its build cache, and runs as a container and a pod', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await ready(page, 'playground');
  const files = { ...GO_APP, Dockerfile: GO_APP_DOCKERFILE };
  await page.evaluate(async (all) => {
    const el = document.getElementById('playground') as unknown as { session: { files: { write(path: string, bytes: Uint8Array): Promise<void> } } };
    for (const [path, text] of Object.entries(all)) await el.session.files.write(`goapp/${path}`, new TextEncoder().encode(text));
  }, files);
  const built = await exec(page, 'playground', 'docker build --progress=plain -t goapp:1 goapp');
  expect(built.exitCode, built.stderr).toBe(0);
  const printed = built.stderr.split('\n').map((l) => /^#\d+ \d+\.\d+ (.*)$/.exec(l)?.[1]).filter((l) => l !== undefined);
  expect(printed).toEqual(GO_APP_RUN_OUTPUT);
  expect(await ok(page, 'docker run --rm goapp:1')).toBe('Hi there, podplay (from a goroutine)\n');
  await ok(page, 'kubectl run goapp --image=goapp:1 --restart=Never');
  await expect.poll(() => ok(page, 'kubectl logs goapp').catch(() => ''), { timeout: 60_000 }).toBe('Hi there, podplay (from a goroutine)\n');
});

test('a compile error in the page prints go build\'s message and fails the build step as BuildKit does', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await ready(page, 'playground');
  for (const line of ['mkdir bad', 'cd bad', 'echo "module example.com/bad" > go.mod', 'echo "package main" > main.go', 'echo "func main() { x := 1 }" >> main.go']) await ok(page, line);
  await ok(page, 'echo "FROM podplay/golang" > Dockerfile');
  await ok(page, 'echo "WORKDIR /src" >> Dockerfile');
  await ok(page, 'echo "COPY . ." >> Dockerfile');
  await ok(page, 'echo "RUN go build -o /app ." >> Dockerfile');
  const r = await exec(page, 'playground', 'docker build -t bad .');
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain('# example.com/bad\n');
  expect(r.stderr).toContain('./main.go:2:15: declared and not used: x\n');
  expect(r.stderr).toMatch(/ERROR: failed to build: failed to solve: process "\/bin\/sh -c go build -o \/app \." did not complete successfully: exit code: 1/);
});
