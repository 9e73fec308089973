// Observable Framework config for the executive report site. `lens site` builds it; see docs/site.md.
// Everything the site needs is bundled from node_modules: no CDN, no web fonts, no external links.

/** Pages in sidebar order; the file under src/ is the path plus ".md". */
const pages = [
  { name: "Satisfaction", path: "/satisfaction" },
  { name: "Service", path: "/service" },
  { name: "Retention and churn", path: "/retention" },
  { name: "Customer value", path: "/value" },
  { name: "Loyalty and incentives", path: "/loyalty" },
  { name: "Quarterly review", path: "/quarterly" },
  { name: "Data health", path: "/data-health" },
];

export default {
  title: "Loyalty Lens",
  // `lens site` builds a private copy of src/ (fresh loader cache); see lib/cli/commands/site.ts.
  root: process.env.LENS_SITE_ROOT ?? "src",
  // `lens site` builds into a temporary directory and swaps it in only when the build succeeds.
  output: process.env.LENS_SITE_OUT ?? "dist",
  pages,
  // style.css imports the light (air) and dark (near-midnight) themes by prefers-color-scheme.
  style: "style.css",
  // The default would link Google Fonts; the site must make no request to another host.
  globalStylesheets: [],
  // A data: favicon, so browsers do not request /favicon.ico (a 404 on most static hosts).
  head: '<meta name="robots" content="noindex"><link rel="icon" href="data:,">',
  footer: "Loyalty Lens: built from the warehouse by page data loaders. Internal; aggregates only, no personal data.",
  search: false,
  toc: false,
  pager: false,
};
