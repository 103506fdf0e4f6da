/**
 * A Go module the podplay/golang tests build in Node and in Chromium: two
 * packages, a goroutine, an embedded file and a test file (which go build
 * leaves out: it does not compile), with a multi-stage Dockerfile whose RUN
 * builds three times to show the build cache.
 */
export const GO_APP: Record<string, string> = {
  'go.mod': 'module example.com/app\n\ngo 1.26\n',
  'main.go': `package main

import (
	"fmt"

	"example.com/app/greet"
)

func main() {
	done := make(chan string)
	go work(done)
	fmt.Println(greet.Hello("podplay"), <-done)
}
`,
  'work.go': 'package main\n\nfunc work(done chan<- string) { done <- "(from a goroutine)" }\n',
  'greet/greet.go': `package greet

import (
	_ "embed"
	"strings"
)

//go:embed greeting.txt
var greeting string

func Hello(name string) string { return strings.TrimSpace(greeting) + ", " + name }
`,
  'greet/greeting.txt': 'Hi there\n',
  'greet/greet_test.go': 'package greet\n\nimport "testing"\n\nfunc TestNothing(t *testing.T) { undefinedInATest() }\n',
};

/** go build -v three times: all, nothing (every package cached), then only the package that changed; then the program. */
export const GO_APP_DOCKERFILE = `FROM podplay/golang AS build
WORKDIR /src
COPY . .
RUN go build -v -o bin/app . && echo first build done && go build -v -o bin/app . && echo '// a change' >> main.go && go build -v -o bin/app . && echo third build done && ./bin/app
FROM podplay/toolbox
COPY --from=build /src/bin/app /usr/local/bin/app
CMD ["app"]
`;

/** What GO_APP_DOCKERFILE's RUN prints. */
export const GO_APP_RUN_OUTPUT = [
  'example.com/app/greet',
  'example.com/app',
  'first build done',
  // the second build compiles nothing; the third, only the package that changed
  'example.com/app',
  'third build done',
  'Hi there, podplay (from a goroutine)',
];
