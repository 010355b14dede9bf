// The part of Deno's global `Deno` namespace that the notebooks use, for type-checking
// their code cells with tsc (scripts/notebooks.mjs). Copied from `deno types`
// (Deno 2.x, MIT); the notebooks use node: modules for everything else.
declare namespace Deno {
  namespace jupyter {
    interface DisplayOptions {
      raw?: boolean;
      update?: boolean;
      display_id?: string;
    }
    interface MediaBundle {
      'text/plain'?: string;
      'text/html'?: string;
      'image/svg+xml'?: string;
      'text/markdown'?: string;
      'image/png'?: string;
      'image/jpeg'?: string;
      'application/json'?: object;
      [key: string]: string | object | undefined;
    }
    const $display: unique symbol;
    interface Displayable {
      [$display]: () => MediaBundle | Promise<MediaBundle>;
    }
    function display(obj: unknown, options?: DisplayOptions): Promise<void>;
    function md(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    function html(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    function svg(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    function image(pathOrData: string | Uint8Array): Displayable;
    function format(obj: unknown): Promise<MediaBundle>;
    function broadcast(
      msgType: string,
      content: Record<string, unknown>,
      extra?: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] },
    ): Promise<void>;
  }
}
