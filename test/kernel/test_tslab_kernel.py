"""The Jupyter kernel test suite (Debian's python3-jupyter-kernel-test) against the registered tslab
kernel, plus this project's own cases: tracebacks that point at the reader's line, TypeScript errors,
exceptions in timers and unhandled rejections, values of last expressions, object shorthand across cells.

Run: python3 -m unittest test/kernel/test_tslab_kernel.py   (TSLAB_KERNEL_NAME picks another kernel name)
"""

import os
import time
import unittest
from queue import Empty

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel
from jupyter_client.utils import run_sync
from jupyter_kernel_test.msgspec_v5 import validate_message

KERNEL_NAME = os.environ.get("TSLAB_KERNEL_NAME", "tslab")


class TslabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "typescript"
    file_extension = ".ts"

    # The suite's defaults (60 s to start, 15 s per reply) are tight on a loaded 2-core machine, where
    # tslab's first type check alone can take that long.
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, startup_timeout=300)

    def execute_helper(self, code, timeout=120, **kwargs):
        return super().execute_helper(code, timeout=timeout, **kwargs)

    code_hello_world = 'console.log("hello, world");'
    code_stderr = 'console.error("to stderr");'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const completeMe = 1;\ncompleteM", "matches": {"completeMe"}},
    ]
    complete_code_samples = ["1 + 2", "const a = 1;", "function f() {\n  return 1;\n}"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (true) {\n  console.log(1);"]

    code_inspect_sample = "Math.max"

    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("boom");'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2].map((v) => v * 2)", "result": "[ 2, 4 ]"},
    ]

    code_display_data = [
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>hi</b>");', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.png(new Uint8Array([137, 80, 78, 71]));', "mime": "image/png"},
    ]

    code_clear_output = 'import * as tslab from "tslab";\nconsole.log("gone");\ntslab.clearOutput();'

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "1 +*"

    # --- this project's own cases -------------------------------------------------------------------------

    def run_cell(self, code, timeout=120):
        self.flush_channels()
        return self.execute_helper(code, timeout=timeout)

    def single_error(self, reply, outputs):
        self.assertEqual(reply["content"]["status"], "error", reply["content"])
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1, outputs)
        content = errors[0]["content"]
        for key in ("ename", "evalue", "traceback"):
            self.assertEqual(content[key], reply["content"][key])
        return content

    def test_kernel_info_complete(self):
        self.flush_channels()
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=120)
        validate_message(reply, "kernel_info_reply", msg_id)
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        self.assertEqual(content["protocol_version"], "5.3")
        self.assertRegex(content["implementation_version"], r"^\d+\.\d+\.\d+")
        self.assertRegex(content["language_info"]["version"], r"^\d+\.\d+")

    def test_error_traceback_points_at_reader_line(self):
        code = 'const a = 1;\nfunction f(): number {\n  throw new Error("deep " + a);\n}\nf();\n'
        reply, outputs = self.run_cell(code)
        content = self.single_error(reply, outputs)
        self.assertEqual(content["ename"], "Error")
        self.assertEqual(content["evalue"], "deep 1")
        text = "\n".join(content["traceback"])
        self.assertIn("at f (Cell In[", text)
        self.assertRegex(text, r"Cell In\[\d+\], line 3")
        self.assertRegex(text, r"Cell In\[\d+\], line 5")
        self.assertRegex(text, r'---->\s+3\s+  throw new Error\("deep " \+ a\);')
        for internal in ("node:internal", "node_modules/tslab", "evalmachine", "runInThisContext", "__tslab_cell_"):
            self.assertNotIn(internal, text)

    def test_error_in_function_of_earlier_cell(self):
        reply, _ = self.run_cell('function boom2(): never {\n  throw new RangeError("from an earlier cell");\n}')
        self.assertEqual(reply["content"]["status"], "ok")
        reply, outputs = self.run_cell("boom2();")
        content = self.single_error(reply, outputs)
        self.assertEqual(content["ename"], "RangeError")
        text = "\n".join(content["traceback"])
        self.assertRegex(text, r"at boom2 \(Cell In\[\d+\], line 2\)")

    def test_error_with_top_level_await(self):
        code = "await Promise.resolve();\nconst v: number = 2;\nthrow new TypeError(`bad ${v}`);"
        reply, outputs = self.run_cell(code)
        content = self.single_error(reply, outputs)
        self.assertEqual((content["ename"], content["evalue"]), ("TypeError", "bad 2"))
        self.assertRegex("\n".join(content["traceback"]), r"Cell In\[\d+\], line 3")

    def test_thrown_non_error(self):
        reply, outputs = self.run_cell('throw "just a string";')
        content = self.single_error(reply, outputs)
        self.assertEqual(content["evalue"], "'just a string'")

    def test_type_error_is_an_error(self):
        reply, outputs = self.run_cell('const ok = 1;\nconst n: number = "text";')
        content = self.single_error(reply, outputs)
        self.assertEqual(content["ename"], "TSError")
        self.assertIn("is not assignable to type 'number'", content["evalue"])
        text = "\n".join(content["traceback"])
        self.assertRegex(text, r"Cell In\[\d+\], line 2, column 7 - error TS2322")
        self.assertIn('---->', text)

    def test_timer_exception_fails_running_cell(self):
        code = 'setTimeout(() => {\n  throw new Error("in a timer");\n}, 10);\nawait new Promise((r) => setTimeout(r, 500));'
        reply, outputs = self.run_cell(code)
        content = self.single_error(reply, outputs)
        self.assertEqual(content["evalue"], "in a timer")
        text = "\n".join(content["traceback"])
        self.assertIn("Uncaught exception in a callback", text)
        self.assertRegex(text, r"Cell In\[\d+\], line 2")

    def test_unhandled_rejection_fails_running_cell(self):
        reply, outputs = self.run_cell('Promise.reject(new Error("nobody caught me"));')
        content = self.single_error(reply, outputs)
        self.assertEqual(content["evalue"], "nobody caught me")
        self.assertIn("Unhandled promise rejection", "\n".join(content["traceback"]))

    def test_unhandled_rejection_during_await_fails_cell(self):
        code = (
            "const failLater = async () => {\n  await new Promise((r) => setTimeout(r, 20));\n"
            '  throw new Error("async failure");\n};\nfailLater();\nawait new Promise((r) => setTimeout(r, 500));'
        )
        reply, outputs = self.run_cell(code)
        content = self.single_error(reply, outputs)
        self.assertEqual(content["evalue"], "async failure")

    def test_error_after_cell_finished_goes_to_that_cell(self):
        self.flush_channels()
        msg_id = self.kc.execute('setTimeout(() => {\n  throw new Error("too late");\n}, 300);')
        reply = self.get_non_kernel_info_reply(timeout=120)
        self.assertEqual(reply["content"]["status"], "ok")
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                msg = run_sync(self.kc.iopub_channel.get_msg)(timeout=1)
            except Empty:
                continue
            validate_message(msg)
            if msg["msg_type"] == "error":
                self.assertEqual(msg["parent_header"]["msg_id"], msg_id)
                self.assertEqual(msg["content"]["evalue"], "too late")
                self.assertIn("Uncaught exception in a callback", "\n".join(msg["content"]["traceback"]))
                break
        else:
            self.fail("no error message for the timer that threw after its cell finished")
        # the kernel still works
        reply, outputs = self.run_cell("40 + 2")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_object_shorthand_across_cells(self):
        reply, _ = self.run_cell("const shortX = 5;\nlet shortY = 'y';\nfunction shortF() { return 7; }")
        self.assertEqual(reply["content"]["status"], "ok")
        reply, outputs = self.run_cell("const o = { shortX, shortY, nested: { shortF } };\n[o.shortX, o.shortY, o.nested.shortF()]")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "[ 5, 'y', 7 ]")
        # reassigning the earlier cell's variable is seen through the shorthand
        reply, outputs = self.run_cell("shortY = 'z';\n({ shortY }).shortY")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "'z'")

    def test_execute_input_carries_the_execution_count(self):
        self.flush_channels()
        msg_id = self.kc.execute("const counted = 1;")
        reply = self.get_non_kernel_info_reply(timeout=120)
        inputs = []
        while True:
            msg = run_sync(self.kc.iopub_channel.get_msg)(timeout=10)
            validate_message(msg)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_input":
                inputs.append(msg["content"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        self.assertEqual(inputs, [{"code": "const counted = 1;", "execution_count": reply["content"]["execution_count"]}])

    def test_no_execute_result_for_statements(self):
        reply, outputs = self.run_cell("const quiet = 1;")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual([m for m in outputs if m["msg_type"] in ("execute_result", "stream")], [])

    def test_execute_result_has_execution_count(self):
        reply, outputs = self.run_cell("6 * 7")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["content"]["execution_count"], reply["content"]["execution_count"])
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")
        self.assertEqual([m for m in outputs if m["msg_type"] == "stream"], [])

    def test_stop_on_error_false_runs_next_request(self):
        self.flush_channels()
        first = self.kc.execute('throw new Error("first");', stop_on_error=False)
        second = self.kc.execute("1 + 1")
        replies = {}
        while len(replies) < 2:
            msg = self.get_non_kernel_info_reply(timeout=120)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(replies, {first: "error", second: "ok"})
        time.sleep(0.3)

    def test_stop_on_error_aborts_queued_request(self):
        self.flush_channels()
        # the first cell takes a while, so the second request is surely queued when the error comes
        first = self.kc.execute('await new Promise((r) => setTimeout(r, 1000));\nthrow new Error("first");')
        second = self.kc.execute("1 + 1")
        replies = {}
        while len(replies) < 2:
            msg = self.get_non_kernel_info_reply(timeout=120)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(replies[first], "error")
        self.assertEqual(replies[second], "abort")
        time.sleep(0.3)


if __name__ == "__main__":
    unittest.main()
