// The bot: "ping" -> "pong"; "status" -> the OneBot adapter's connection status as JSON,
// which shows whether alemonjs accepted the OneBot 12 session (state "ready", version 12).
import { Format, onResponse, useClient, useMessage } from "alemonjs";

export default onResponse(["message.create", "private.message.create"], async (event) => {
  const [message] = useMessage(event);
  if (event.MessageText === "ping") {
    await message.send({ format: Format.create().addText("pong") });
  } else if (event.MessageText === "status") {
    const [client] = useClient(event);
    const [result] = await client.getConnectionStatus();
    await message.send({ format: Format.create().addText(JSON.stringify(result?.data)) });
  }
});
