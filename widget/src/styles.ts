/**
 * The widget's stylesheet, scoped by its shadow root so nothing leaks into the host page.
 * Public knobs are the `--ns-*` custom properties (read with fallbacks, so they also inherit from any
 * ancestor) and the `part` names; the `--_*` names are private shorthands.
 */
export const CSS = `
:host{display:block;
--_font:var(--ns-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);
--_tfont:var(--ns-title-font,var(--_font));
--_text:var(--ns-text,#1a1e24);--_muted:var(--ns-muted,#5a626d);
--_bg:var(--ns-bg,transparent);--_surface:var(--ns-surface,#fff);--_subtle:var(--ns-subtle,#f1f3f6);
--_border:var(--ns-border,#dfe3e8);--_accent:var(--ns-accent,#1f4fd1);--_on-accent:var(--ns-accent-contrast,#fff);
--_soft:var(--ns-accent-soft,#e8eefc);--_mark:var(--ns-mark,#ffe27a);--_mark-text:var(--ns-mark-text,inherit);
--_danger:var(--ns-danger,#b42318);--_r:var(--ns-radius,12px);
font:15px/1.5 var(--_font);color:var(--_text);background:var(--_bg);text-align:start}
:host([hidden]){display:none}
:host([theme=dark]){color-scheme:dark;--_bg:var(--ns-bg,#111418);--_text:var(--ns-text,#e8eaed);--_muted:var(--ns-muted,#a3abb6);--_surface:var(--ns-surface,#1c2027);
--_subtle:var(--ns-subtle,#262b33);--_border:var(--ns-border,#353b45);--_accent:var(--ns-accent,#8ab4ff);
--_on-accent:var(--ns-accent-contrast,#0b1220);--_soft:var(--ns-accent-soft,#23324f);--_mark:var(--ns-mark,#7a5d00);--_mark-text:var(--ns-mark-text,#fff)}
*,::before,::after{box-sizing:border-box}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
button,input,select{font:inherit;color:inherit;letter-spacing:inherit}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
.icon{width:1em;height:1em;flex:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.ns{container-type:inline-size}
.field{position:relative;display:flex;align-items:center;gap:10px;background:var(--_surface);border:1px solid var(--_border);
border-radius:var(--_r);padding:6px 6px 6px 16px;box-shadow:0 1px 2px rgba(16,24,40,.06);overflow:hidden;transition:border-color .15s,box-shadow .15s}
.field:focus-within{border-color:var(--_accent);box-shadow:0 0 0 3px var(--_soft)}
.field>.icon{width:20px;height:20px;color:var(--_muted)}
.input{flex:1;min-width:0;border:0;background:none;outline:none;font-size:17px;padding:9px 0}
.input::placeholder{color:var(--_muted);opacity:.8}
.submit{background:var(--_accent);color:var(--_on-accent);border:0;border-radius:calc(var(--_r) - 4px);padding:10px 20px;font-weight:600}
.submit:hover{filter:brightness(1.08)}
.progress{position:absolute;left:0;right:0;bottom:0;height:2px;opacity:0;pointer-events:none}
.progress::after{content:"";position:absolute;top:0;bottom:0;width:30%;background:var(--_accent);animation:slide 1s ease-in-out infinite}
.loading .progress{opacity:1;transition:opacity .2s .15s}
@keyframes slide{from{left:-30%}to{left:100%}}
.searchbar{position:relative}
.suggest{position:absolute;z-index:5;top:100%;left:0;right:0;margin-top:6px;padding:6px;max-height:min(26em,70vh);overflow:auto;
background:var(--_surface);border:1px solid var(--_border);border-radius:var(--_r);box-shadow:0 8px 24px rgba(16,24,40,.14)}
.suggest ul{list-style:none;margin:0;padding:0}
.sg-h{padding:8px 10px 0}
.opt{display:flex;align-items:center;gap:9px;padding:6px 10px;border-radius:8px;cursor:pointer}
.opt:hover{background:var(--_subtle)}
.opt[aria-selected=true]{background:var(--_soft);color:var(--_accent)}
.opt .icon{color:var(--_muted)}
.tips{margin-top:8px;font-size:14px;color:var(--_muted)}
.tips summary{width:max-content;cursor:pointer}
.tips dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:8px 0 0}
.tips dd{margin:0}
code{font:13px ui-monospace,Menlo,Consolas,monospace;background:var(--_subtle);border-radius:4px;padding:1px 6px;white-space:pre}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px 16px;margin:18px 0 10px}
.summary{margin:0;color:var(--_muted)}
.summary strong{color:var(--_text);font-weight:650}
.sort{display:flex;align-items:center;gap:8px;color:var(--_muted);font-size:14px}
select,.range input{border:1px solid var(--_border);background:var(--_surface);border-radius:8px;padding:6px 8px;font-size:14px;color:var(--_text)}
.dym{margin:0 0 12px}
.active{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:0 0 14px}
.active ul{display:flex;flex-wrap:wrap;gap:8px;list-style:none;margin:0;padding:0}
.tag{display:inline-flex;align-items:center;gap:6px;border:1px solid transparent;background:var(--_soft);color:var(--_accent);
border-radius:999px;padding:3px 10px 3px 12px;font-size:13px;font-weight:600}
.tag:hover{border-color:var(--_accent)}
.link{border:0;background:none;color:var(--_accent);padding:0;text-decoration:underline;text-underline-offset:2px;font-size:14px}
.layout{display:grid;gap:20px}
.filters-toggle{display:none;align-items:center;gap:8px;width:100%;border:1px solid var(--_border);background:var(--_surface);border-radius:8px;padding:9px 14px;font-weight:600;font-size:14px}
.filters-toggle::after{content:"";margin-left:auto;width:7px;height:7px;border:solid var(--_muted);border-width:0 2px 2px 0;transform:rotate(45deg) translateY(-2px);transition:transform .15s}
.open>.filters-toggle::after{transform:rotate(-135deg) translateY(-2px)}
.badge{background:var(--_accent);color:var(--_on-accent);border-radius:999px;font-size:12px;line-height:20px;min-width:20px;padding:0 6px;text-align:center}
.badge:empty{display:none}
@container (max-width:739.98px){.filters-toggle{display:flex}.side:not(.open)>.panels{display:none}.panels{margin-top:16px}}
@container (min-width:740px){.layout{grid-template-columns:248px minmax(0,1fr);gap:32px}.side{position:sticky;top:16px;align-self:start}}
.has-error .layout{grid-template-columns:minmax(0,1fr)}
.has-error .side{display:none}
.panel{padding:0 0 16px;margin:0 0 16px;border-bottom:1px solid var(--_border)}
.panel:last-child{border:0}
.panel h2,.sg-h{font-size:12px;line-height:1.2;letter-spacing:.08em;text-transform:uppercase;color:var(--_muted);margin:0 0 10px;font-weight:700}
.muted{color:var(--_muted);font-size:14px;margin:0}
.facet-list{list-style:none;margin:0;padding:0;display:grid;gap:2px}
.facet-value{display:flex;align-items:center;gap:9px;width:100%;border:0;background:none;
padding:5px 8px;border-radius:8px;text-align:start;font-size:14px}
.facet-value:hover{background:var(--_subtle)}
.check{position:relative;width:16px;height:16px;flex:none;border:1.5px solid var(--_border);border-radius:4px;background:var(--_surface)}
[aria-pressed=true] .check{background:var(--_accent);border-color:var(--_accent)}
[aria-pressed=true] .check::after{content:"";position:absolute;left:4.2px;top:1.4px;width:4px;height:8px;border:solid var(--_on-accent);border-width:0 2px 2px 0;transform:rotate(45deg)}
[aria-pressed=true] .name{font-weight:600}
.name{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.count{color:var(--_muted);font-size:13px;font-variant-numeric:tabular-nums}
.bars{display:flex;align-items:flex-end;justify-content:center;gap:2px;height:64px;padding-bottom:1px;border-bottom:1px solid var(--_border)}
.bar{flex:1;min-width:2px;max-width:28px;height:var(--h);padding:0;border:0;border-radius:2px 2px 0 0;background:var(--_accent);opacity:.5}
.bar:hover,.bar:focus-visible,.bar[aria-pressed=true]{opacity:1}
.bar.empty{background:var(--_border);opacity:1}
.axis{display:flex;justify-content:space-between;font-size:12px;color:var(--_muted);margin-top:4px}
.axis span:only-child{margin:auto}
.range{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-top:12px}
.range label{display:grid;gap:3px;font-size:12px;color:var(--_muted)}
.range input{min-width:0;padding:5px 6px;font-size:13px}
.results{list-style:none;margin:0;padding:0;display:grid;gap:12px}
.loading .results{opacity:.55;transition:opacity .2s .15s}
.card{background:var(--_surface);border:1px solid var(--_border);border-radius:var(--_r);padding:16px 20px}
.card article{display:grid;gap:6px}
.title{font:650 18px/1.3 var(--_tfont);margin:0}
.title a{color:inherit;text-decoration:none}
.title a:hover{color:var(--_accent);text-decoration:underline;text-underline-offset:3px}
.meta{margin:0;font-size:13px;color:var(--_muted);display:flex;flex-wrap:wrap;gap:8px}
.host::before{content:"·";margin-right:8px}
.snippet{margin:0;line-height:1.6;overflow-wrap:anywhere}
mark{background:var(--_mark);color:var(--_mark-text);border-radius:3px;padding:0 2px}
.chips{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:6px}
.chip{display:inline-flex;align-items:center;gap:5px;border:1px solid var(--_border);background:var(--_subtle);border-radius:999px;padding:2px 10px;font-size:12.5px}
.chip:hover{border-color:var(--_accent)}
.chip .icon{color:var(--_muted)}
.chip.about{font-weight:600}
.chip.about .icon{color:var(--_accent)}
.chip[aria-pressed=true]{background:var(--_accent);border-color:var(--_accent);color:var(--_on-accent)}
.chip[aria-pressed=true] .icon{color:inherit}
.more{font-size:12.5px;color:var(--_muted);align-self:center}
.pager{display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:8px;margin-top:20px}
.pager ul{list-style:none;display:flex;gap:4px;margin:0;padding:0}
.pager button{min-width:38px;height:38px;border:1px solid var(--_border);background:var(--_surface);border-radius:8px;
display:inline-flex;align-items:center;justify-content:center;gap:4px;padding:0 12px;font-variant-numeric:tabular-nums}
.pager button:hover:not(:disabled){border-color:var(--_accent)}
.pager [aria-current]{background:var(--_accent);border-color:var(--_accent);color:var(--_on-accent);font-weight:650}
.pager button:disabled{opacity:.45;cursor:default}
.gap{padding:0 4px;color:var(--_muted)}
.notice{border:1px dashed var(--_border);border-radius:var(--_r);padding:32px 24px;text-align:center;color:var(--_muted)}
.notice p{margin:0 0 12px}
.notice p:last-child{margin:0}
.notice-title{font-weight:650;color:var(--_text);font-size:17px}
.notice.error{display:flex;gap:14px;text-align:start;border:1px solid var(--_danger);background:var(--_surface);color:var(--_text);
box-shadow:inset 4px 0 0 var(--_danger)}
.notice.error>.icon{width:24px;height:24px;color:var(--_danger)}
.btn{border:1px solid var(--_border);background:var(--_surface);border-radius:8px;padding:7px 14px;font-weight:600;font-size:14px}
.btn:hover{border-color:var(--_accent);color:var(--_accent)}
.skeleton{display:grid;gap:12px}
.skeleton .card{display:grid;gap:10px}
.sk{display:block;height:12px;border-radius:6px;background:linear-gradient(90deg,var(--_subtle) 25%,var(--_border) 50%,var(--_subtle) 75%);background-size:200% 100%;animation:shimmer 1.3s linear infinite}
.sk-t{height:18px;width:65%}.sk-m{width:25%}.sk-s{width:40%}
@keyframes shimmer{to{background-position:-200% 0}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;

let shared: CSSStyleSheet | null = null;

/**
 * Adds the stylesheet to a shadow root. A constructed sheet is shared by every instance and, unlike
 * a `<style>` element, is allowed by a strict Content-Security-Policy; older browsers get the element.
 */
export function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [shared];
  } else {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }
}
