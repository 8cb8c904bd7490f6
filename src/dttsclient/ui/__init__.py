"""dttsclient.ui"""
