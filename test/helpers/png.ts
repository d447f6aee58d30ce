/** Tests draw their photos with the demo's own PNG writer. */
export { drawPng } from '../../src/core/demo/png.ts';
