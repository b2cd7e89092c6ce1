"""The blocks editors build page bodies from. Each renders with the design system's classes
and needs no JavaScript."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "link", "document-link", "ol", "ul"]


class InsetBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pick"
        template = "cms/blocks/inset.html"


class ButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")

    class Meta:
        icon = "link"
        template = "cms/blocks/button.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Defaults to the document's own title.")

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="cms/blocks/paragraph.html")
    inset = InsetBlock(features=["bold", "link"])
    image = ImageBlock(required=False, template="cms/blocks/image.html")
    button = ButtonBlock()
    document = DocumentBlock()
