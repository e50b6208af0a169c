"""What tests across folders share: fake clocks and Marketo request bodies (`tests.support.*`)."""
