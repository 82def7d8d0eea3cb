import { type ConsoleApp, consolePage, needs } from "../kit";

/** Deliveries. */
export function deliveriesPage(app: ConsoleApp) {
  app.get("/deliveries", needs("owner", "/deliveries"), (c) =>
    consolePage(c, { title: "Deliveries", path: "/deliveries", children: <h1>Deliveries</h1> }),
  );
}
