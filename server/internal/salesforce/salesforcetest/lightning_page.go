package salesforcetest

// lightningPageHTML lays out the Lightning-like pages: a blue global
// header marked as the emulator, object tabs, then a record (highlights,
// details, related lists), a list view, or a not-found notice. Tests find
// parts by data-testid.
const lightningPageHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{.Title}} | Salesforce (emulated)</title>
<style>
body{margin:0;font:13px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#b0c4df;color:#181818}
header{background:#032d60;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:baseline}
header strong{font-size:15px}
.emu{background:#fe9339;color:#181818;border-radius:.25rem;padding:0 .4rem;font-weight:600}
nav{background:#fff;border-bottom:3px solid #0176d3;padding:.4rem 1rem;display:flex;gap:1.2rem;flex-wrap:wrap}
nav a,td a,dd a{color:#0b5cab;text-decoration:none}
main{max-width:72rem;margin:1rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid #c9c9c9;border-radius:.25rem;margin-bottom:1rem;padding:.75rem 1rem}
.card h2{font-size:14px;margin:0 0 .5rem}
.crumb{color:#444;margin:0}
h1{font-size:18px;margin:0}
dl{display:grid;grid-template-columns:repeat(2,minmax(8rem,12rem) 1fr);gap:.3rem 1rem;margin:0}
dt{color:#444}dd{margin:0;border-bottom:1px solid #e5e5e5;white-space:pre-wrap;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e5e5e5;vertical-align:top;white-space:pre-wrap}
th{color:#444;font-weight:600;background:#f3f3f3}
</style></head>
<body>
<header><strong>Salesforce</strong><span class="emu" data-testid="emulated">Emulated Salesforce</span><span data-testid="org-name">{{.Org}}</span></header>
<nav aria-label="Objects"><a href="/lightning/page/home">Home</a>{{range .Objects}}<a href="{{.Href}}">{{.Label}}</a>{{end}}</nav>
<main>
{{- if .Missing}}
<section class="card" data-testid="not-found" role="alert">
<h1>This record isn't available</h1>
<p>The record you're trying to open doesn't exist, was deleted, or the link is wrong. Ask the person who shared it, or search for the record.</p>
</section>
{{- else if .Record}}{{with .Record}}
<section class="card"><p class="crumb">{{.ObjectLabel}}</p><h1 data-testid="record-name">{{.Name}}</h1></section>
<section class="card" data-testid="details"><h2>Details</h2><dl>
{{- range .Fields}}<dt>{{.Label}}</dt><dd>{{template "cell" .}}</dd>{{end}}
</dl></section>
{{- range .Related}}{{template "table" .}}{{end}}
{{- end}}
{{- else if .List}}
<section class="card"><p class="crumb">{{.Title}}</p></section>
{{template "table" .List}}
{{- else}}
<section class="card"><h1>Home</h1><p>{{.Org}}: an org of the Salesforce emulator. Open an object above.</p></section>
{{- end}}
</main>
</body></html>
{{define "cell"}}{{if .Href}}<a href="{{.Href}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{end}}
{{define "table"}}<section class="card" data-testid="related"><h2>{{.Title}}</h2>
{{- if .Rows}}<table><thead><tr>{{range .Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead><tbody>
{{- range .Rows}}<tr>{{range .}}<td>{{template "cell" .}}</td>{{end}}</tr>{{end}}
</tbody></table>{{else}}<p>No records.</p>{{end}}</section>{{end}}`
