// Command khabar is an Arabic-first news aggregator and monitor.
package main

import (
	"os"

	"khabar/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr))
}
