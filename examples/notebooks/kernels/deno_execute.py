"""nbconvert's ExecutePreprocessor, tolerant of late outputs from Deno's kernel.

Deno's Jupyter kernel (2.x) can publish a cell's `display_data` just *after* the cell's
`status: idle` message. nbclient stops reading a cell's outputs at `idle`, so such an
output would be lost at random. This preprocessor keeps reading the cell's IOPub messages
for `late_output_wait` seconds after `idle`. scripts/notebooks.mjs runs nbconvert with it:

    PYTHONPATH=examples/notebooks/kernels jupyter nbconvert --to notebook \
      --NotebookExporter.preprocessors=deno_execute.DenoExecutePreprocessor \
      --DenoExecutePreprocessor.enabled=True ...

(The notebooks also wait a few milliseconds after each display, which keeps Jupyter's
own frontends from dropping late outputs.)
"""
from queue import Empty

from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Float


class DenoExecutePreprocessor(ExecutePreprocessor):
    late_output_wait = Float(
        0.25, help="Seconds to keep reading a cell's outputs after its idle status."
    ).tag(config=True)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        idle = False
        while True:
            try:
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=self.late_output_wait if idle else None)
                )
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True
