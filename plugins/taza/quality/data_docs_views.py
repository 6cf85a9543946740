"""Great Expectations Data Docs views that escape every value taken from the data.

GX 1.x escapes the parameters of its string templates, but it emits a plain string
content block (a table cell such as an unexpected value of a failed expectation, an
item of a value list) as raw HTML: its templates are ``.j2`` files, which its Jinja
environment does not autoescape. A source value such as ``<img src=x onerror=...>``
would run as script in the published Data Docs. These views escape such plain values
before GX places them; rendered content blocks (GX's own markup) pass unchanged.
The gate's Data Docs site uses them (taza.quality.gx_runner).

GX gives each view a new Jinja environment, so every site build compiled its ~50 templates
again (0.45 s of a 0.65 s build of one validation result). The views keep the compiled
templates on disk under the state dir, as Python keeps .pyc files: Jinja reuses one only
while its template's source checksum matches.
"""
from __future__ import annotations

from html import escape

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import FileSystemBytecodeCache, pass_context

from taza import config


def _is_content_block(value) -> bool:
    return isinstance(value, dict) and "content_block_type" in value


def _escaped(value):
    """A plain value as escaped text; content blocks and lists of them are left to GX's templates."""
    if value is None or _is_content_block(value):
        return value
    if isinstance(value, list):
        return [item if _is_content_block(item) else escape(str(item)) for item in value]
    return escape(str(value))


class _EscapesPlainValues:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GX's templates ship in its package and do not change during a build: Jinja need not
        # stat every template file again on each of the thousands of lookups a site build makes.
        self.env.auto_reload = False
        compiled = config.state_dir() / "gx" / "compiled-templates"
        compiled.mkdir(parents=True, exist_ok=True)
        self.env.bytecode_cache = FileSystemBytecodeCache(str(compiled))

    @pass_context
    def render_content_block(self, jinja_context, content_block, index=None, content_block_id=None,
                             render_to_markdown=False):
        return super().render_content_block(jinja_context, _escaped(content_block), index, content_block_id,
                                            render_to_markdown)


class EscapingPageView(_EscapesPlainValues, DefaultJinjaPageView):
    """The expectation-suite and validation-result pages."""


class EscapingIndexPageView(_EscapesPlainValues, DefaultJinjaIndexPageView):
    """The site's index page."""
