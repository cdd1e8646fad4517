/**
 * The playground in a real browser (Debian's Chromium, headless, driven by
 * playwright-core): a person types as a platform user, a scripted bot
 * connected over the forward WebSocket answers, and the page shows it.
 * Screenshots go to `tests/out/`.
 */

import axe from "axe-core";
import { expect } from "expect";
import type { Page } from "playwright-core";
import type { Event } from "../../../event/types.ts";
import { createDemoServer } from "../../../demo/serve.ts";
import { openClient, serve } from "../../_loopback.ts";
import { BROWSER_TESTS_IGNORED, launchBrowser, outDir } from "./_chromium.ts";

const GROUP = { detail_type: "group", group_id: "20001" } as const;
/** A 1×1 PNG. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

/** Opens the playground from `/` (a browser's page load is redirected) and waits until it is live. */
async function openPlayground(page: Page, base: string): Promise<void> {
  await page.goto(base);
  expect(new URL(page.url()).pathname).toBe("/playground/");
  await page.getByRole("status").getByText("page: connected", { exact: true }).waitFor();
}

function isMessage(event: Event): boolean {
  return event.type === "message";
}

Deno.test({
  name:
    "playground in Chromium: a user's message reaches a bot on the forward WebSocket, whose reply is rendered (§5.1, WS-05)",
  ignore: BROWSER_TESTS_IGNORED,
  async fn() {
    await using demo = createDemoServer();
    await using server = serve(demo.fetch);
    await using bot = await openClient(server.wsUrl);
    await using browser = await launchBrowser();
    const page = await browser.context.newPage();
    await openPlayground(page, server.url);

    await page.getByRole("button", { name: "libob demo group", exact: true }).click();
    await page.getByLabel("Acting as").selectOption("10001");
    const input = page.getByLabel("Message", { exact: true });
    await input.fill("hello bot");
    await input.press("Enter"); // the keyboard sends

    // The scripted bot: it hears alice in the group and answers her there, quoting her.
    const heard = await bot.nextEvent(isMessage);
    expect(heard).toMatchObject({
      detail_type: "group",
      group_id: "20001",
      user_id: "10001",
      message: [{ type: "text", data: { text: "hello bot" } }],
      alt_message: "hello bot",
    });
    const answer = await bot.call({
      action: "send_message",
      params: {
        ...GROUP,
        message: [
          { type: "reply", data: { message_id: heard.message_id, user_id: "10001" } },
          { type: "text", data: { text: "Hello, Alice! I am your bot." } },
        ],
      },
      echo: "reply-1",
    });
    expect(answer).toMatchObject({ status: "ok", echo: "reply-1" });

    const conversation = page.getByRole("log", { name: "Conversation" });
    await conversation.getByText("Hello, Alice! I am your bot.").waitFor();
    await conversation.getByText("hello bot").first().waitFor();
    // The frame log shows the bot's action as it came in over the forward WebSocket.
    const frames = page.getByRole("log", { name: "OneBot frames" });
    await frames.getByText("send_message").first().waitFor();

    const out = await outDir();
    await page.screenshot({ path: `${out}playground.png` });
    // A narrow window: the panes stack, nothing overflows sideways.
    await page.setViewportSize({ width: 420, height: 900 });
    await conversation.getByText("Hello, Alice! I am your bot.").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${out}playground_narrow.png` });
    // A string: this file is type-checked without the DOM library.
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
  },
});

Deno.test({
  name:
    "playground in Chromium: mentions and an image upload become segments; the bot's deletes and renames show up (§6, §4.1, §4.3)",
  ignore: BROWSER_TESTS_IGNORED,
  async fn() {
    await using demo = createDemoServer();
    await using server = serve(demo.fetch);
    await using bot = await openClient(server.wsUrl);
    await using browser = await launchBrowser();
    const page = await browser.context.newPage();
    await openPlayground(page, server.url);
    await page.getByLabel("Acting as").selectOption("10001");

    const input = page.getByLabel("Message", { exact: true });
    await input.fill("@bob look at this");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const mentioned = await bot.nextEvent(isMessage);
    expect(mentioned.message).toEqual([
      { type: "mention", data: { user_id: "10002" } },
      { type: "text", data: { text: " look at this" } },
    ]);

    // An image, uploaded through the page's file input.
    const png = Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0));
    const file = await Deno.makeTempFile({ suffix: ".png" });
    try {
      await Deno.writeFile(file, png);
      await page.getByLabel("Attach file").setInputFiles(file);
      const image = await bot.nextEvent(isMessage);
      const segment = (image.message as { type: string; data: { file_id: string } }[])[0]!;
      expect(segment.type).toBe("image");
      const stored = await bot.call({
        action: "get_file",
        params: { file_id: segment.data.file_id, type: "data" },
        echo: "file",
      });
      expect(stored).toMatchObject({ status: "ok" });
      // Bytes travel as Base64 in JSON (ENC-01).
      expect((stored.data as { data: string }).data).toBe(PNG_BASE64);
      await page.getByRole("log", { name: "Conversation" }).locator("img").first().waitFor();
    } finally {
      await Deno.remove(file);
    }

    // The bot speaks, then deletes what it said: the message goes from the page.
    const said = await bot.call({
      action: "send_message",
      params: { ...GROUP, message: "a message I will delete" },
      echo: "said",
    });
    const conversation = page.getByRole("log", { name: "Conversation" });
    await conversation.getByText("a message I will delete").waitFor();
    const { message_id } = said.data as { message_id: string };
    await bot.call({ action: "delete_message", params: { message_id }, echo: "del" });
    await conversation.getByText("a message I will delete").waitFor({ state: "detached" });

    // The bot renames the group: the chat list and the title follow.
    await bot.call({
      action: "set_group_name",
      params: { group_id: "20001", group_name: "renamed by the bot" },
      echo: "rename",
    });
    await page.getByRole("button", { name: "renamed by the bot", exact: true }).waitFor();
    await page.getByRole("heading", { name: "renamed by the bot" }).waitFor();

    // A user leaves the group from the page: the bot gets the notice.
    await page.getByRole("button", { name: "Leave", exact: true }).click();
    const left = await bot.nextEvent((event) => event.detail_type === "group_member_decrease");
    expect(left).toMatchObject({
      detail_type: "group_member_decrease",
      sub_type: "leave",
      group_id: "20001",
      user_id: "10001",
    });
    await page.screenshot({ path: `${await outDir()}playground_actions.png` });
  },
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate((axe as unknown as { source: string }).source);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })
      .then((result) => result.violations)`,
  );
  return violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}: ${
      v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary ?? ""})`).join(", ")
    }`
  );
}

Deno.test({
  name:
    "playground in Chromium: axe finds no WCAG 2.1 A/AA violations, light or dark, wide or narrow",
  ignore: BROWSER_TESTS_IGNORED,
  async fn() {
    await using demo = createDemoServer();
    await using server = serve(demo.fetch);
    await using bot = await openClient(server.wsUrl);
    await using browser = await launchBrowser();
    const page = await browser.context.newPage();
    await openPlayground(page, server.url);
    // Something in every part: a user's message, the bot's answer, frames in the log.
    const input = page.getByLabel("Message", { exact: true });
    await input.fill("hello @bob");
    await input.press("Enter");
    const heard = await bot.nextEvent(isMessage);
    await bot.call({
      action: "send_message",
      params: {
        ...GROUP,
        message: [
          { type: "reply", data: { message_id: heard.message_id, user_id: "10001" } },
          { type: "text", data: { text: "hi" } },
        ],
      },
      echo: "a11y",
    });
    await page.getByRole("log", { name: "Conversation" }).getByText("hi", { exact: true })
      .waitFor();
    for (const colorScheme of ["light", "dark"] as const) {
      for (const width of [1280, 420]) {
        // No transitions: axe must see the scheme's colours, not a blend on the way there.
        await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
        await page.setViewportSize({ width, height: 900 });
        expect([colorScheme, width, await axeViolations(page)]).toEqual([colorScheme, width, []]);
      }
    }
  },
});

Deno.test({
  name:
    "playground in Chromium: with an access token the page says how to pass it, then connects with it (HTTP-03)",
  ignore: BROWSER_TESTS_IGNORED,
  async fn() {
    await using demo = createDemoServer({ accessToken: "s3cret" });
    await using server = serve(demo.fetch);
    await using browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${server.url}playground/`);
    await page.getByRole("status").getByText("add ?access_token=").waitFor();
    await page.goto(`${server.url}?access_token=s3cret`);
    expect(new URL(page.url()).search).toBe("?access_token=s3cret");
    await page.getByRole("status").getByText("page: connected", { exact: true }).waitFor();
    await page.getByRole("button", { name: "libob demo group", exact: true }).waitFor();
  },
});

Deno.test({
  name:
    "playground in Chromium on a 390×844 phone: the composer shows without scrolling, the chat list collapses, and with no bot app the page says how to connect one",
  ignore: BROWSER_TESTS_IGNORED,
  async fn() {
    await using demo = createDemoServer({ accessToken: "s3cret" });
    await using server = serve(demo.fetch);
    await using browser = await launchBrowser({ width: 390, height: 844 });
    const page = await browser.context.newPage();
    await openPlayground(page, `${server.url}?access_token=s3cret`);

    // No bot app: the page says so, with the address of each way in and the token hint.
    const bots = page.getByRole("status").filter({ hasText: "bot apps:" });
    await bots.getByText("bot apps: none", { exact: true }).waitFor();
    const notice = page.getByRole("region", { name: "No bot app is connected" });
    await notice.waitFor();
    const base = server.url.replace("http://", "");
    await notice.getByText(`ws://${base}`, { exact: true }).waitFor();
    await notice.getByText(`http://${base}`, { exact: true }).waitFor();
    await notice.getByText("ONEBOT_WS_REVERSE_URL").waitFor();
    await notice.getByText("ONEBOT_WEBHOOK_URL").waitFor();
    await notice.getByText("required: the demo's ONEBOT_ACCESS_TOKEN").waitFor();

    // The composer and the notice are on the first screen; nothing scrolled, nothing overflows.
    const viewport = { width: 390, height: 844 };
    for (
      const target of [
        page.locator("#composer"),
        page.getByRole("button", { name: "Send" }),
        notice,
      ]
    ) {
      const box = await target.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    }
    expect(await page.evaluate<number>("window.scrollY")).toBe(0);
    expect(
      await page.evaluate<number>(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      ),
    ).toBeLessThanOrEqual(0);
    const out = await outDir();
    await page.screenshot({ path: `${out}playground_phone.png` });

    // The chat list is collapsed behind its button, which names the chat; it opens and closes.
    const toggle = page.getByRole("button", { name: /^Chats/ });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    await toggle.getByText("libob demo group").waitFor();
    const alice = page.getByRole("button", { name: "Alice", exact: true });
    expect(await alice.isVisible()).toBe(false);
    await toggle.click();
    await alice.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    await page.getByRole("heading", { name: "Alice" }).waitFor();

    // A bot app connects over the forward WebSocket: the notice goes, the badge counts it.
    const bot = await openClient(`${server.wsUrl}?access_token=s3cret`);
    await bots.getByText("bot apps: 1 connected", { exact: true }).waitFor();
    await notice.waitFor({ state: "hidden" });
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
      expect([colorScheme, await axeViolations(page)]).toEqual([colorScheme, []]);
    }
    // It leaves: the next message, which reaches no socket, shows it is gone.
    await bot[Symbol.asyncDispose]();
    const input = page.getByLabel("Message", { exact: true });
    await input.fill("anyone there?");
    await input.press("Enter");
    await bots.getByText("bot apps: none", { exact: true }).waitFor();
    await notice.waitFor();
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
      expect([colorScheme, await axeViolations(page)]).toEqual([colorScheme, []]);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: `${out}playground_phone_left.png` });
  },
});
