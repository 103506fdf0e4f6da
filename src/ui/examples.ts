import webAppDockerfile from '../../examples/web-app/Dockerfile?raw';
import webAppDockerignore from '../../examples/web-app/.dockerignore?raw';
import webAppGoMod from '../../examples/web-app/go.mod?raw';
import webAppMain from '../../examples/web-app/main.go?raw';

/**
 * The files the page's shell starts with: manifests (`ls`, `kubectl apply -f
 * web.yaml`) and a Go web app with its multi-stage Dockerfile
 * (`docker build -t web-app:1 web-app`, from examples/web-app).
 */
export const EXAMPLE_FILES: Record<string, string> = {
  'web-app/Dockerfile': webAppDockerfile,
  'web-app/.dockerignore': webAppDockerignore,
  'web-app/go.mod': webAppGoMod,
  'web-app/main.go': webAppMain,
  'web.yaml': `# A Deployment of three hello pods, spread over the nodes, and a Service in front of them.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: hello
        image: podplay/hello
        resources:
          requests:
            cpu: 100m
            memory: 32Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`,
  'job.yaml': `# A Job: count the primes below 200000 in three pods, two at a time.
apiVersion: batch/v1
kind: Job
metadata:
  name: primes
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: primes
        image: podplay/primes
        args: ["200000"]
`,
  'ticker.yaml': `# A pod that prints a numbered line every second: try kubectl logs -f ticker.
apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:
  containers:
  - name: ticker
    image: podplay/ticker
    args: ["-interval=1s"]
`,
  'crash.yaml': `# A pod that fails: watch it go into CrashLoopBackOff with kubectl get pods -w.
apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: crash
    image: podplay/crash
    args: ["-after=2s", "1"]
`,
};
