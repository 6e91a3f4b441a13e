// The oracle of tests/tokenizer_oracle.sh: Hugging Face's JavaScript tokenizers (npm @huggingface/tokenizers, pinned
// in package-lock.json) encoding each input text.
//
//   node encode.mjs TOKENIZER_JSON INPUT [--no-special-tokens]
//
// INPUT is JSON Lines when its name ends in .jsonl (each line an object with a "text" field, or a JSON string, so
// that texts can hold newlines and any other character), else plain text with one text per line. The
// tokenizer_config.json beside TOKENIZER_JSON is read when there is one (the package wants both objects; a
// WordLevel model, which it lacks, falls back on its Legacy model and needs unk_token from there). Writes one line
// {"ids":[...]} per text, in input order, special tokens included unless --no-special-tokens.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";

const args = process.argv.slice(2);
const add_special_tokens = !args.includes("--no-special-tokens");
const [tokenizer_path, input_path] = args.filter((a) => a !== "--no-special-tokens");
if (!tokenizer_path || !input_path) {
    console.error("usage: node encode.mjs TOKENIZER_JSON INPUT [--no-special-tokens]");
    process.exit(2);
}

const tokenizer_json = JSON.parse(readFileSync(tokenizer_path, "utf8"));
const config_path = join(dirname(tokenizer_path), "tokenizer_config.json");
const tokenizer_config = existsSync(config_path) ? JSON.parse(readFileSync(config_path, "utf8")) : {};
const tokenizer = new Tokenizer(tokenizer_json, tokenizer_config);

const data = readFileSync(input_path, "utf8");
let texts;
if (input_path.endsWith(".jsonl")) {
    texts = data
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
            const value = JSON.parse(line);
            return typeof value === "string" ? value : value.text;
        });
} else {
    texts = data.split("\n");
    if (texts.length > 0 && texts[texts.length - 1] === "") texts.pop();
}

const out = [];
for (const text of texts) {
    const { ids } = tokenizer.encode(text, { add_special_tokens });
    out.push(JSON.stringify({ ids }));
}
process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
