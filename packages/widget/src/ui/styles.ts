// The widget's whole stylesheet, injected into its shadow root. Pixels, never rem: rem follows the
// host page's root font size, which a hostile or careless page may set to anything.
// Theming: hosts set --gomomo-accent, --gomomo-bg, --gomomo-fg, --gomomo-radius, --gomomo-font on
// any ancestor (custom properties inherit into shadow trees); data-color sets the accent default.

export const styles = `
:host{all:initial!important;display:block!important;position:static!important;font-size:14px!important}
.r{--a:var(--gomomo-accent,var(--gm-color,#2457d6));--bg:var(--gomomo-bg,#fff);--fg:var(--gomomo-fg,#17181c);--mu:#5d6270;--bd:#d8dbe2;--sf:#f1f3f7;--rd:var(--gomomo-radius,14px);
font:14px/1.45 var(--gomomo-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--fg);letter-spacing:normal;text-align:left;text-transform:none;-webkit-font-smoothing:antialiased}
@media (prefers-color-scheme:dark){.r{--bg:var(--gomomo-bg,#17181c);--fg:var(--gomomo-fg,#eceef3);--mu:#a6abb8;--bd:#343844;--sf:#23262e}.s button,.pc button,.lk{color:var(--fg)}}
.r *,.r *::before,.r *::after{box-sizing:border-box;font:inherit;color:inherit;margin:0;padding:0;border:0;background:none;letter-spacing:inherit}
.r button,.r a{cursor:pointer;text-decoration:none}
.r :focus-visible{outline:3px solid var(--a)!important;outline-offset:2px}
.r .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.l{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;background:var(--a)!important;color:#fff!important;display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.25);transition:transform .15s}
.l:hover{transform:scale(1.06)}
.left .l{right:auto;left:20px}
.l svg{width:26px;height:26px;fill:currentColor}
.p{position:fixed;bottom:88px;right:20px;z-index:2147483001;width:380px;max-width:calc(100vw - 24px);height:600px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:var(--bg);border:1px solid var(--bd);border-radius:var(--rd);box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden;animation:in .18s ease-out}
.left .p{right:auto;left:20px}
@keyframes in{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
.h{display:flex;align-items:center;gap:10px;padding:12px 14px;background:var(--a);color:#fff}
.h div{flex:1;min-width:0}
.h h2{font-size:16px;font-weight:600;line-height:1.25}
.h p{font-size:12px;opacity:.9}
.x{width:36px;height:36px;border-radius:8px;color:#fff!important;display:flex;align-items:center;justify-content:center;font-size:22px}
.x:hover{background:rgba(255,255,255,.15)}
.fg{color:#fff!important;font-size:12px;text-decoration:underline;padding:4px}
.x:focus-visible{outline-color:#fff!important}
.m{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px;overscroll-behavior:contain}
.b{max-width:85%;padding:9px 12px;border-radius:var(--rd);white-space:pre-wrap;overflow-wrap:anywhere}
.b.a{align-self:flex-start;background:var(--sf);border-bottom-left-radius:4px}
.b.st{border-left:3px solid var(--a)}.sn{display:block;font-size:12px;font-weight:600}
.b.u{align-self:flex-end;background:var(--a);color:#fff;border-bottom-right-radius:4px}
.b.f{opacity:.6}
.fr{align-self:flex-end;font-size:12px;color:var(--mu);display:flex;gap:6px;align-items:center}
.lk{text-decoration:underline!important;color:var(--a)}
.s{display:flex;flex-wrap:wrap;gap:6px;align-self:stretch}
.s button,.pc button{border:1px solid var(--a);color:var(--a);border-radius:999px;padding:6px 12px;min-height:36px;font-weight:500;background:var(--bg)}
.s button:hover,.pc button:hover{background:var(--a);color:#fff}
.s button:disabled{opacity:.5;cursor:default}
.c{display:inline-flex;align-items:center;gap:6px;align-self:flex-start;font-size:12px;padding:4px 10px;border-radius:999px;background:var(--sf);color:var(--mu)}
.c.ok{background:#dff5e6;color:#146c2e}
.c i{width:8px;height:8px;border-radius:50%;background:currentColor;animation:pulse 1s infinite alternate}
.t{align-self:flex-start;display:flex;gap:4px;padding:12px;border-radius:var(--rd);background:var(--sf)}
.t i{width:7px;height:7px;border-radius:50%;background:var(--mu);animation:pulse .9s infinite alternate}
.t i:nth-child(2){animation-delay:.3s}.t i:nth-child(3){animation-delay:.6s}
@keyframes pulse{from{opacity:.25}to{opacity:1}}
.k{align-self:stretch;border:1px solid var(--bd);border-left:4px solid #1f9d55;border-radius:10px;padding:10px 12px;display:flex;flex-direction:column;gap:4px}
.k.cx{border-left-color:var(--mu)}
.k strong{font-weight:600}
.k code{font-family:ui-monospace,Menlo,monospace;font-weight:600;letter-spacing:.04em}
.pc{align-self:stretch;background:var(--sf);border-radius:10px;padding:10px 12px;display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between}
.pc p{flex:1 1 160px}
.n{padding:10px 14px;background:#fdecea;color:#8a1c12;font-size:13px}
.tw{position:absolute;left:12px;right:12px;bottom:72px;display:flex;flex-direction:column;gap:6px}
.to{display:flex;gap:8px;align-items:center;padding:9px 12px;border-radius:10px;background:#2b2d33;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);font-size:13px}
.to p{flex:1}
.to button{color:#fff;font-size:18px;width:28px;height:28px}
.fm{display:flex;gap:8px;padding:10px;border-top:1px solid var(--bd);background:var(--bg)}
.fm input{flex:1;min-width:0;border:1px solid var(--bd);border-radius:10px;padding:9px 11px;background:var(--bg);color:var(--fg);font-size:16px}
.fm input:disabled{opacity:.6}
.fm button{border-radius:10px;padding:0 14px;background:var(--a);color:#fff;font-weight:600;min-width:44px}
.fm button:disabled{opacity:.5}
.fm .mic{background:none;color:var(--a);border:1px solid var(--bd);padding:0 10px}.fm .mic.on{background:var(--a);color:#fff}.mic svg{width:20px;height:20px;fill:currentColor}
@media (max-width:480px){.p{inset:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0;border:0}}
@media (prefers-reduced-motion:reduce){.r *{animation:none!important;transition:none!important}}
`;
