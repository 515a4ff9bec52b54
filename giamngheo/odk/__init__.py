"""ODK / KoboToolbox interop: Phiếu A and B as an XLSForm (``xlsform``) and the surveys collected with it read
back into a review round (``submissions``), through the services the Phiếu A/B pages and the API use."""
