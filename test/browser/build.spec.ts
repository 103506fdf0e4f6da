/**
 * docker build in the page: a Dockerfile written in the files panel's
 * editor (opened by `edit` in the terminal), built from the workspace with
 * RUN steps as real wasm processes in a node worker, layers and the build
 * cache in IndexedDB, the image run by docker run and by a pod, and the
 * workspace and cache still there after a reload.
 */
import { expect, test } from '@playwright/test';
import { exec, ready } from './element-helpers.ts';

const DOCKERFILE = ['FROM podplay/toolbox AS build', 'WORKDIR /src', 'COPY . .', 'RUN echo "built from: $(ls)" > /tmp/out.txt', 'FROM podplay/toolbox', 'COPY --from=build /tmp/out.txt /srv/', 'CMD ["cat", "/srv/out.txt"]'];

test('a Dockerfile edited in the files panel builds in the page, runs as a container and a pod, and the workspace and cache survive a reload', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await ready(page, 'playground');
  const el = page.locator('#playground');
  for (const line of ['mkdir app', 'cd app', 'echo hello > note.txt']) expect((await exec(page, 'playground', line)).exitCode).toBe(0);
  expect((await exec(page, 'playground', 'edit Dockerfile')).exitCode).toBe(0);
  await expect(el.getByTestId('editor-path')).toHaveText('/home/app/Dockerfile');
  const editor = el.getByTestId('editor-content');
  await editor.click();
  await page.keyboard.type(DOCKERFILE.join('\n') + '\n');
  await page.keyboard.press('Control+s');
  await expect(el.getByTestId('files-tree')).toContainText('Dockerfile');
  expect((await exec(page, 'playground', 'cat Dockerfile')).stdout).toBe(DOCKERFILE.join('\n') + '\n');

  const build = await exec(page, 'playground', 'docker build -t lesson:1 .');
  expect(build.exitCode, build.stderr).toBe(0);
  expect(build.stderr).toMatch(/^#0 building with "default" instance using docker driver\n/);
  expect(build.stderr).toMatch(/#\d+ \[build 4\/4\] RUN echo "built from: \$\(ls\)" > \/tmp\/out.txt\n#\d+ DONE \d+\.\ds/);
  expect(build.stderr).toContain('naming to docker.io/library/lesson:1 done');
  expect((await exec(page, 'playground', 'docker run --rm lesson:1')).stdout).toBe('built from: Dockerfile\nnote.txt\n');

  const pod = await exec(page, 'playground', 'kubectl run lesson --image=lesson:1 --image-pull-policy=Never --restart=Never');
  expect(pod.exitCode, pod.stderr).toBe(0);
  await expect.poll(async () => (await exec(page, 'playground', 'kubectl logs lesson')).stdout, { timeout: 60_000 }).toBe('built from: Dockerfile\nnote.txt\n');

  await page.reload();
  await ready(page, 'playground');
  await expect(el.getByTestId('files-tree')).toContainText('note.txt');
  const again = await exec(page, 'playground', 'docker build -t lesson:1 app');
  expect(again.exitCode, again.stderr).toBe(0);
  expect(again.stderr.match(/CACHED/g)?.length, again.stderr).toBe(4);
});
