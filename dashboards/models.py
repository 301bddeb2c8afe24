# Dashboards read other apps' models through their selectors; they own no tables yet.
