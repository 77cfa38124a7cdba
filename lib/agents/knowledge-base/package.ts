import { z } from "zod";
import { definePackage } from "../define-package";
import { bestSentences, citationOf, citationSchema, searchDocumentsTool, type SearchDocumentsResult } from "../knowledge/search-documents-tool";

const inputSchema = z.object({
  question: z.string().trim().min(3, "Ask a question.").max(2_000),
});

const outputSchema = z.object({
  answer: z.string().min(1),
  citations: z.array(citationSchema),
  found: z.boolean(),
});

export const knowledgeBase = definePackage({
  slug: "knowledge-base",
  name: "Knowledge Base Agent",
  summary: "Answers questions from your workspace's documents — FAQs, runbooks, policies — and cites the exact passages it used.",
  description: [
    "Add documents on the **Documents** page (paste text, or upload `.md`, `.txt`, `.html` or `.pdf`), then ask a question.",
    "",
    "`search_documents` ranks the workspace's document chunks with PostgreSQL full-text search; the answer cites the chunks it relies on, and each citation opens that passage.",
    "",
    "The agent only sees your own workspace's documents. When nothing relevant is found it says so instead of guessing.",
  ].join("\n"),
  category: "knowledge",
  capabilities: ["question answering", "documentation", "citations", "search"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 2_048,
  baseFeeMicros: 1_000n,
  input: inputSchema,
  output: outputSchema,
  exampleInput: { question: "How do refunds work for annual plans?" },
  systemPrompt:
    "You answer questions using only the workspace's documents. Call search_documents (rephrase and search again if the first results miss), answer briefly and precisely, and cite every chunk you used with its documentId and chunkId exactly as returned. If the documents do not answer the question, set found to false and say so.",
  tools: [searchDocumentsTool],
  offline: {
    plan: (input) => [{ tool: "search_documents", input: { query: input.question, limit: 5 } }],
    compose: (input, results) => {
      const { results: hits } = results.search_documents as SearchDocumentsResult;
      const cited = hits
        .slice(0, 3)
        .map((hit) => ({ hit, sentences: bestSentences(hit.text, input.question, 3) }))
        .filter((x) => x.sentences.length);
      if (!cited.length) {
        return { answer: "I could not find anything about this in the workspace's documents. Add a document that covers it on the Documents page.", citations: [], found: false };
      }
      const [first, ...rest] = cited;
      const answer = [
        `${first!.sentences.join(" ")} [1]`,
        ...rest.map((c, i) => `See also *${c.hit.documentTitle}*${c.hit.heading ? ` (${c.hit.heading})` : ""}: ${c.sentences[0]} [${i + 2}]`),
      ].join("\n\n");
      return { answer, citations: cited.map((c) => citationOf(c.hit, c.sentences[0])), found: true };
    },
  },
});
