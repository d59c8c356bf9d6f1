"""The demo day spa's files, read by `frontdesk demo`; installed as the package `frontdesk.demo_data`."""
