/**
 * libob's house rules as a `deno lint` plugin (design.md §12): no classes,
 * no default export outside `demo/` and `examples/` (`deno serve` entries),
 * no Node APIs, no top-level arrow
 * functions.
 *
 * @module
 */

const NODE_GLOBALS = new Set(["process", "Buffer"]);

const plugin: Deno.lint.Plugin = {
  name: "libob",
  rules: {
    "no-class": {
      create(context) {
        const report = (node: Deno.lint.Node): void =>
          context.report({ node, message: "libob uses functions and plain data, not classes" });
        return { ClassDeclaration: report, ClassExpression: report };
      },
    },
    "no-default-export": {
      create(context) {
        if (/\/(demo|examples)\//.test(context.filename)) return {};
        return {
          ExportDefaultDeclaration(node) {
            context.report({
              node,
              message: "only demo/ and examples/ have default exports (deno serve entries)",
            });
          },
        };
      },
    },
    "no-node": {
      create(context) {
        return {
          ImportDeclaration(node) {
            if (node.source.value.startsWith("node:")) {
              context.report({ node, message: "libob uses Web APIs and Deno.*, not node:" });
            }
          },
          Identifier(node) {
            if (NODE_GLOBALS.has(node.name)) {
              const parent = node.parent;
              const isProperty = parent?.type === "MemberExpression" && parent.property === node;
              const isKey = parent?.type === "Property" && parent.key === node;
              if (!isProperty && !isKey) {
                context.report({
                  node,
                  message: `libob does not use the Node global ${node.name}`,
                });
              }
            }
          },
        };
      },
    },
    "no-top-level-arrow": {
      create(context) {
        return {
          "Program > VariableDeclaration > VariableDeclarator > ArrowFunctionExpression"(node) {
            context.report({ node, message: "top-level functions use the function keyword" });
          },
          "Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > ArrowFunctionExpression"(
            node,
          ) {
            context.report({ node, message: "top-level functions use the function keyword" });
          },
        };
      },
    },
  },
};

// deno-lint-ignore libob/no-default-export -- deno lint loads a plugin from its default export
export default plugin;
