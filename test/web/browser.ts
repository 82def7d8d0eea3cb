import type { World } from "../helpers/world";

/** A minimal browser: follows nothing by itself, but keeps the cookies the hub sets between requests. */
export function browser(hub: World) {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  return {
    jar,
    async get(path: string) {
      return remember(await hub.request(path, { headers: { cookie: cookieHeader() }, redirect: "manual" }));
    },
    /** POSTs a form body (urlencoded, as a browser submits a <form>). */
    async post(path: string, fields: Record<string, string> = {}) {
      return remember(
        await hub.request(path, {
          method: "POST",
          headers: { cookie: cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(fields),
        }),
      );
    },
    /** Opens `page` and submits its form to `path` with the fields the page put in it (its hidden token). */
    async submit(page: string, path: string) {
      const html = await (await this.get(page)).text();
      return this.post(path, hiddenFields(html));
    },
    /** The hidden fields (the form token) a page puts in its forms, to submit with other fields. */
    async formFields(page: string) {
      return hiddenFields(await (await this.get(page)).text());
    },
    /** Copies cookies as they are now, e.g. to replay a session after signing out. */
    snapshot: () => new Map(jar),
    restore(saved: Map<string, string>) {
      jar.clear();
      for (const [k, v] of saved) jar.set(k, v);
    },
  };
}

export type Browser = ReturnType<typeof browser>;

/** The hidden inputs of a page's forms, as a browser would submit them. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[name!] = value!;
  }
  return fields;
}
