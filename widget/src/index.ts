/** Entry point of the built script: registers `<news-search>` once, even if the script is included twice. */
import { NewsSearchElement } from './element.ts';

if (!customElements.get('news-search')) customElements.define('news-search', NewsSearchElement);
