// The console is built into internal/console/dist, which the Go binary
// embeds and serves at /console: no Node at run time. The build is
// reproducible (CI rebuilds it and fails if the committed bundle differs):
// pinned dependencies, no timestamps, content-hashed file names.
import { defineConfig, type Plugin } from "vite";
import { existsSync, readFileSync, readdirSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

// licenses writes licenses.txt (served at /console/licenses.txt): the name, version, licence and
// licence text of every package whose code is in the bundle (the bundle
// itself carries no comments), so the binary ships the notices of what it
// embeds.
function licenses(): Plugin {
  return {
    name: "usergraph-licenses",
    generateBundle(_, bundle) {
      const roots = new Set<string>();
      for (const out of Object.values(bundle)) {
        if (out.type !== "chunk") continue;
        for (const id of Object.keys(out.modules)) {
          const real = id.startsWith("\0") ? null : realpathSync.native(id.split("?")[0]!);
          if (!real) continue;
          for (let dir = dirname(real); dir !== dirname(dir); dir = dirname(dir)) {
            if (existsSync(join(dir, "package.json"))) {
              const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
              if (pkg.name && pkg.version) {
                roots.add(dir);
                break;
              }
            }
          }
        }
      }
      const entries = [...roots]
        .map((dir) => {
          const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
          const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
          const text = file ? readFileSync(join(dir, file), "utf8").trim() : `(no licence file; package.json says ${pkg.license})`;
          return { name: pkg.name as string, text: `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}` };
        })
        .filter((e) => e.name !== "@usergraph/console")
        .sort((a, b) => a.name.localeCompare(b.name));
      this.emitFile({
        type: "asset",
        fileName: "licenses.txt",
        source: "Third-party code in the usergraph console's bundle:\n\n" + entries.map((e) => e.text).join("\n\n" + "-".repeat(72) + "\n\n") + "\n",
      });
    },
  };
}

export default defineConfig({
  base: "/console/",
  plugins: [licenses()],
  esbuild: { jsx: "automatic", legalComments: "none" },
  build: {
    outDir: "../../internal/console/dist",
    emptyOutDir: true,
    // No inline script anywhere: the page's CSP has script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
    reportCompressedSize: false,
    rollupOptions: {
      onwarn(w, warn) {
        // React Server Components' "use client" means nothing in a browser bundle.
        if (w.code === "MODULE_LEVEL_DIRECTIVE" && w.message.includes('"use client"')) return;
        warn(w);
      },
    },
  },
});
