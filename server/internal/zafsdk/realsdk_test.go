package zafsdk

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestEnsureBuildsTheRealSDK builds the pinned npm ZAF SDK in the
// repository's assets/ and checks the browser gets a working ZAFClient.
func TestEnsureBuildsTheRealSDK(t *testing.T) {
	assets, err := FindAssetsDir(".")
	if err != nil {
		t.Fatal(err)
	}
	logger, _ := newLogger()
	path, err := Ensure(t.Context(), assets, logger)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	bundle, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(bundle) < 5<<10 {
		t.Errorf("bundle is %d bytes; the SDK is about 11 KB", len(bundle))
	}
	if !strings.Contains(string(bundle), "ZAFClient") {
		t.Errorf("bundle does not define ZAFClient")
	}

	// Run it as a page would: outside Zendesk, init() declines; inside an
	// app iframe, it greets its parent frame with the handshake.
	out, err := exec.CommandContext(t.Context(), "node", "-e", browserProbe, path).CombinedOutput()
	if err != nil {
		t.Fatalf("running the bundle: %v\n%s", err, out)
	}
	for _, want := range []string{
		"typeof init: function",
		"outside Zendesk: false",
		`handshake to https://acme.zendesk.com: {"key":"iframe.handshake"`,
		`"appGuid":"guid-1"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("bundle run lacks %q; output:\n%s", want, out)
		}
	}

	// A second call finds the bundle fresh: no rebuild, and so no new
	// modification time and no install announced.
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	logger2, logs2 := newLogger()
	if _, err := Ensure(t.Context(), assets, logger2); err != nil {
		t.Fatalf("second Ensure: %v", err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("second call rebuilt the bundle: mtime %v -> %v", before.ModTime(), after.ModTime())
	}
	if strings.Contains(logs2.String(), "installing") {
		t.Errorf("second call installed again; logs:\n%s", logs2)
	}
}

// browserProbe loads the bundle given as argv[1] into a minimal browser
// global scope twice: once as a plain page, once as a ZAF iframe whose URL
// carries origin and app_guid, recording what it posts to the parent.
const browserProbe = `
const fs = require("fs"), vm = require("vm");
const src = fs.readFileSync(process.argv[1], "utf8");
function page(search) {
  const posted = [];
  const win = {
    addEventListener() {},
    parent: { postMessage(msg, origin) { posted.push([origin, msg]); } },
  };
  const ctx = { window: win, document: { location: { search, hash: "" } }, setTimeout, clearTimeout, console };
  win.document = ctx.document;
  vm.createContext(ctx);
  vm.runInContext(src, ctx);
  return { ZAFClient: ctx.ZAFClient, posted };
}
const plain = page("");
console.log("typeof init: " + typeof plain.ZAFClient.init);
console.log("outside Zendesk: " + plain.ZAFClient.init());
const framed = page("?origin=" + encodeURIComponent("https://acme.zendesk.com") + "&app_guid=guid-1");
const client = framed.ZAFClient.init();
console.log("client has get: " + (typeof client.get === "function"));
for (const [origin, msg] of framed.posted) console.log("handshake to " + origin + ": " + msg);
process.exit(0);
`
