"""Front Desk: sell and redeem prepaid appointment packages at the reception counter."""

__version__ = "0.1.0"
