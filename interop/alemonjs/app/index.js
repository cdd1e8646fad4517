// The alemonjs app: its responses are the modules under response/ (loaded by file name).
import { defineChildren } from "alemonjs";

export default defineChildren({});
