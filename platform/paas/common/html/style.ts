/** The one stylesheet every program serves at `/static/bkcec.css` (no external assets). */
export const STYLESHEET = `
:root{--bg:#f4f6f9;--fg:#1d2330;--muted:#5f6b7a;--card:#fff;--line:#dde2ea;--brand:#2f6fed;--brand-d:#1f55c4;
--bad:#c62828;--bad-bg:#fdecec;--ok:#1b7f3b;--ok-bg:#e8f6ec;--radius:8px}
*{box-sizing:border-box}
html{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
html:lang(zh-CN){font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","WenQuanYi Zen Hei",system-ui,sans-serif}
body{margin:0;background:var(--bg);color:var(--fg)}
a{color:var(--brand);text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#18202e;color:#fff}
header.top .in{max-width:1100px;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
header.top .brand{font-weight:700;color:#fff;font-size:1.05rem;margin-right:auto}
header.top nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem}
header.top nav a{color:#cfd8e6}header.top nav a.on{color:#fff;font-weight:600}
header.top .who{color:#cfd8e6;font-size:.9rem}header.top .who a{color:#fff}
header.top form.lang{display:flex;gap:.25rem}header.top form.lang button{padding:.1rem .5rem;font-size:.82rem;font-weight:400;background:transparent;color:#cfd8e6;border-color:#4a5670}
header.top form.lang button.on{color:#fff;border-color:#cfd8e6;font-weight:600}
main{max-width:1100px;margin:0 auto;padding:1.2rem 1rem 3rem}
main.narrow{max-width:420px;padding-top:8vh}
h1{font-size:1.45rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1.1rem 1.2rem;margin-bottom:1rem}
.muted{color:var(--muted)}.small{font-size:.88rem}
.flash{padding:.65rem .9rem;border-radius:var(--radius);margin-bottom:1rem}
.flash.error{background:var(--bad-bg);color:var(--bad);border:1px solid #f3c0c0}
.flash.ok{background:var(--ok-bg);color:var(--ok);border:1px solid #bfe3ca}
form.stack label{display:block;margin:.7rem 0 .25rem;font-weight:600;font-size:.92rem}
input,select,textarea{font:inherit;width:100%;padding:.5rem .6rem;border:1px solid #c4ccd8;border-radius:6px;background:#fff;color:var(--fg)}
input:focus,select:focus,textarea:focus{outline:2px solid #b7cdfa;border-color:var(--brand)}
textarea{min-height:5rem}
button,.btn{display:inline-block;font:inherit;font-weight:600;padding:.48rem 1rem;border-radius:6px;border:1px solid var(--brand);
background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;line-height:1.4;white-space:nowrap}
button:hover,.btn:hover{background:var(--brand-d);text-decoration:none}
button.plain,.btn.plain{background:#fff;color:var(--brand)}
button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
button:disabled{opacity:.45;cursor:not-allowed;pointer-events:none}
form.stack button{margin-top:1rem}
form.inline{display:inline}
.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}
.row>input,.row>select{width:auto;flex:1 1 10rem}
table{width:100%;border-collapse:collapse;background:var(--card)}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600;background:#f9fafc}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:var(--radius)}
.scroll table{border:0}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.45rem 1.2rem;margin:0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;word-break:break-all}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
.secret{display:inline-flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.secret code{background:#f1f3f7;padding:.2rem .45rem;border-radius:4px}
.card>h2:first-of-type{margin-top:0}
.grow{margin-right:auto}
h1.mono{font-size:1.45rem}h1 .mono{font-size:.8em}
.tag{display:inline-block;padding:.05rem .5rem;border-radius:999px;background:#eef2fb;color:#34508f;font-size:.8rem;white-space:nowrap}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:.8rem}
.tile{display:block;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem;color:var(--fg)}
.tile:hover{border-color:var(--brand);text-decoration:none}
.tile strong{display:block;color:var(--brand)}
.doc h1,.doc h2,.doc h3{margin-top:1.2rem}.doc pre{background:#f1f3f7;padding:.8rem;border-radius:6px;overflow-x:auto}
.doc table{margin:.6rem 0}.doc td,.doc th{border:1px solid var(--line)}
@media (max-width:600px){html{font-size:14px}main{padding:1rem .7rem 2rem}dl.kv{grid-template-columns:1fr}dl.kv dt{margin-top:.4rem}
th,td{padding:.4rem}}
`;
