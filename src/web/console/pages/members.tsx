import { type ConsoleApp, consolePage, needs } from "../kit";

/** Members. */
export function membersPage(app: ConsoleApp) {
  app.get("/members", needs("owner", "/members"), (c) =>
    consolePage(c, { title: "Members", path: "/members", children: <h1>Members</h1> }),
  );
}
